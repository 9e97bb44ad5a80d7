# One image for the api, the relay and the projector; the command picks the process.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY shared shared
COPY contracts contracts
COPY application application
COPY eventstore eventstore
COPY projections projections
COPY consumers consumers
COPY api api
COPY settings settings
COPY cli cli
COPY bootstrap.py ./
RUN pip install --no-cache-dir .
ENV MOMENTUM_API_HOST=0.0.0.0
ENTRYPOINT ["momentum"]
CMD ["api"]
