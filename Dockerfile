# One image for the gateway and every subgraph; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The explorer's browser files (gateway/explorer/bundle.ts), built now: the running image cannot write its folder.
RUN npm run build:explorer
USER node
EXPOSE 4000 4001 4002 4003 4004
CMD ["npm", "run", "start:gateway"]
