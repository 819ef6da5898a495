// Shared-secret authentication of every RPC, without sending the secret: the client puts
// HMAC-SHA256(secret, method | timestamp | nonce) in the call's metadata, the server
// recomputes it and compares in constant time, refuses a timestamp more than five minutes
// off its clock and a nonce it has already seen. A refused call ends with UNAUTHENTICATED
// before its handler runs (a server interceptor that never passes the metadata on).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import {
  InterceptingCall,
  type Interceptor,
  Metadata,
  ResponderBuilder,
  ServerInterceptingCall,
  type ServerInterceptor,
  ServerListenerBuilder,
  status,
} from "@grpc/grpc-js";

/** Metadata keys of the signature. */
export const AUTH_HEADERS = {
  ts: "kindling-auth-ts",
  nonce: "kindling-auth-nonce",
  mac: "kindling-auth-mac",
} as const;

/** Largest accepted difference between the caller's clock and the server's. */
export const MAX_SKEW_MS = 5 * 60_000;

/** The signature of one call: hex HMAC-SHA256 of `method|timestamp|nonce`. */
export function signCall(secret: string, method: string, ts: string, nonce: string): string {
  return createHmac("sha256", secret).update(`${method}|${ts}|${nonce}`).digest("hex");
}

/** Adds a fresh signature for `method` to `metadata`. */
export function addSignature(metadata: Metadata, secret: string, method: string, nowMs = Date.now()): void {
  const ts = String(nowMs);
  const nonce = randomBytes(16).toString("hex");
  metadata.set(AUTH_HEADERS.ts, ts);
  metadata.set(AUTH_HEADERS.nonce, nonce);
  metadata.set(AUTH_HEADERS.mac, signCall(secret, method, ts, nonce));
}

/** A client interceptor that signs every call with `secret` (no-op without one). */
export function signingInterceptor(secret: string | undefined): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        if (secret) addSignature(metadata, secret, options.method_definition.path);
        next(metadata, listener);
      },
    });
}

/** Checks signatures and remembers nonces for the skew window, so a captured call cannot be replayed. */
export class SignatureVerifier {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly secret: string,
    private readonly maxSkewMs = MAX_SKEW_MS,
  ) {}

  /** Null when `metadata` carries a valid signature for `method`, else the reason it does not. */
  check(method: string, metadata: Metadata, nowMs = Date.now()): string | null {
    const ts = first(metadata, AUTH_HEADERS.ts);
    const nonce = first(metadata, AUTH_HEADERS.nonce);
    const mac = first(metadata, AUTH_HEADERS.mac);
    if (!ts || !nonce || !mac) return "the call carries no signature (is KINDLING_SECRET set on the client?)";
    const t = Number(ts);
    if (!Number.isFinite(t) || Math.abs(nowMs - t) > this.maxSkewMs) {
      return "the call's timestamp is more than 5 minutes off the server's clock";
    }
    const want = Buffer.from(signCall(this.secret, method, ts, nonce), "hex");
    const got = Buffer.from(mac, "hex");
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      return "wrong signature (KINDLING_SECRET differs from the server's)";
    }
    if (this.seen.has(nonce)) return "replayed call (nonce already used)";
    this.remember(nonce, nowMs);
    return null;
  }

  /**
   * A nonce must be remembered while its timestamp is acceptable: at most 2 × skew after it
   * arrived. Expiries then grow with insertion order, so pruning stops at the first live one.
   */
  private remember(nonce: string, nowMs: number): void {
    for (const [n, expires] of this.seen) {
      if (expires >= nowMs) break;
      this.seen.delete(n);
    }
    this.seen.set(nonce, nowMs + 2 * this.maxSkewMs);
  }
}

function first(metadata: Metadata, key: string): string | undefined {
  const v = metadata.get(key)[0];
  return typeof v === "string" ? v : undefined;
}

/**
 * A server interceptor that refuses unsigned or wrongly signed calls with UNAUTHENTICATED.
 * The handler of a refused call never starts: its metadata is not passed on.
 */
export function verifyingInterceptor(
  verifier: SignatureVerifier,
  onRefused?: (method: string, why: string) => void,
): ServerInterceptor {
  return (descriptor, call) => {
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const why = verifier.check(descriptor.path, metadata);
        if (why === null) {
          next(metadata);
          return;
        }
        onRefused?.(descriptor.path, why);
        call.sendStatus({
          code: status.UNAUTHENTICATED,
          details: `${descriptor.path}: ${why}`,
          metadata: new Metadata(),
        });
      })
      .build();
    return new ServerInterceptingCall(
      call,
      new ResponderBuilder().withStart((next) => next(listener)).build(),
    );
  };
}
