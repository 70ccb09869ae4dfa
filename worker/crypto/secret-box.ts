// Secrets at rest: AES-256-GCM with a key from a Worker secret
// (CONNECTOR_SECRETS_KEY, base64 of 32 bytes). No imports, so the seed script
// (Node) encrypts exactly as the Worker decrypts.
// Format: `v1.<base64 iv>.<base64 ciphertext+tag>`; the additional data binds
// a ciphertext to its purpose (e.g. `demo/zendesk/signing`), so one cannot be
// swapped for another.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Imported keys, by their base64 (one per Worker secret value). */
const keys = new Map<string, Promise<CryptoKey>>();

function importKey(keyBase64: string): Promise<CryptoKey> {
  let key = keys.get(keyBase64);
  if (!key) {
    key = importRawKey(keyBase64);
    keys.set(keyBase64, key);
    key.catch(() => keys.delete(keyBase64));
  }
  return key;
}

async function importRawKey(keyBase64: string): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = unb64(keyBase64.trim());
  } catch {
    throw new Error("CONNECTOR_SECRETS_KEY is not base64");
  }
  if (raw.length !== 32) throw new Error("CONNECTOR_SECRETS_KEY must be 32 bytes (base64)");
  return crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function sealSecret(keyBase64: string, plaintext: string, purpose: string): Promise<string> {
  const key = await importKey(keyBase64);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: iv as BufferSource, additionalData: encoder.encode(purpose) as BufferSource },
    key,
    encoder.encode(plaintext) as BufferSource,
  );
  return `v1.${b64(iv)}.${b64(new Uint8Array(sealed))}`;
}

export async function openSecret(keyBase64: string, sealed: string, purpose: string): Promise<string> {
  const [version, iv, data] = sealed.split(".");
  if (version !== "v1" || !iv || !data) throw new Error("not a sealed secret");
  const key = await importKey(keyBase64);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: unb64(iv) as BufferSource, additionalData: encoder.encode(purpose) as BufferSource },
    key,
    unb64(data) as BufferSource,
  );
  return decoder.decode(plain);
}

/** A short, non-reversible label for a secret, so admins can tell which one is set. */
export async function secretFingerprint(secret: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret)));
  return [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
