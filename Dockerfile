# One image for the gateway and every subgraph; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
EXPOSE 4000 4001 4002 4003 4004
CMD ["npm", "run", "start:gateway"]
