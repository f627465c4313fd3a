FROM alpine:3.20
COPY config/.env.production /app/.env
