// A small typed client: queries and mutations over fetch (Node 20), subscriptions over
// graphql-transport-ws (graphql-ws + ws). Every operation type comes from src/gql/, which
// graphql-codegen generates from ../../schema.graphql and src/operations.graphql.
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type { TypedDocumentString } from "./gql/graphql.js";

export interface ApiError {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** The API refused or failed an operation: `code` is `extensions.code` (VALIDATION, FORBIDDEN, …). */
export class MomentumError extends Error {
  readonly code: string;

  constructor(readonly errors: ApiError[]) {
    super(errors.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`).join("; "));
    this.code = errors[0]?.extensions?.code ?? "ERROR";
  }
}

interface Response<R> {
  data?: R | null;
  errors?: ApiError[];
}

export class MomentumClient {
  private sockets?: Client;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** One query or mutation; resolves to its data or rejects with a MomentumError. */
  async request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const body = (await response.json()) as Response<R>;
    if (body.errors?.length || body.data == null) {
      throw new MomentumError(body.errors ?? [{ message: `HTTP ${response.status} without data` }]);
    }
    return body.data;
  }

  /** A subscription's results, one at a time; `return()` (or breaking a for-await) ends it. */
  async *subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V): AsyncGenerator<R> {
    const results = this.socket().iterate<R>({
      query: document.toString(),
      variables: variables as Record<string, unknown>,
    });
    for await (const result of results) {
      if (result.errors?.length || result.data == null) {
        throw new MomentumError((result.errors ?? []) as ApiError[]);
      }
      yield result.data;
    }
  }

  async close(): Promise<void> {
    await this.sockets?.dispose();
  }

  private socket(): Client {
    // the token goes in connection_init: browsers cannot set headers on a websocket
    this.sockets ??= createClient({
      url: this.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${this.token}` },
      lazy: true,
      retryAttempts: 0,
    });
    return this.sockets;
  }
}
