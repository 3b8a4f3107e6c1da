# The API and the worker (one image, two commands; see docker-compose.yml).
FROM node:20.18.1-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20.18.1-bookworm-slim
ENV NODE_ENV=production
# glibc gives each thread of the SDK's native core its own malloc arena (up to 8 per core)
# and keeps their memory after a burst; two arenas keep the worker's RSS flat over thousands
# of waiting reminders (bench/RESULTS.md, section 4).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
CMD ["node", "dist/src/api/main.js"]
