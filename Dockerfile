# One image for the gateway and every subgraph; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The explorer's browser files (gateway/explorer/bundle.ts), built now: the running image cannot write its folder.
RUN npm run build:explorer
# The folders the services write, owned by the user they run as: a named volume mounted on a folder the image has
# takes that folder's owner (docker-compose.yml mounts the audit witness, the document keys and the content). The
# key folder is for the key-encryption key alone (documents refuses a key file others can read).
RUN mkdir -p data/audit data/documents keys && chown -R node:node data keys && chmod 700 keys
USER node
EXPOSE 4000 4001 4002 4003 4004
CMD ["npm", "run", "start:gateway"]
