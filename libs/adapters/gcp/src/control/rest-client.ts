import { CaribouError } from '@caribou/domain-common';
import type { Sleeper } from '@caribou/ports';

/** The Google APIs the control plane calls, by the host each has on Google Cloud. */
export const GOOGLE_API_HOSTS = {
  functions: 'https://cloudfunctions.googleapis.com',
  iam: 'https://iam.googleapis.com',
  resourceManager: 'https://cloudresourcemanager.googleapis.com',
  logging: 'https://logging.googleapis.com',
  pubsub: 'https://pubsub.googleapis.com',
  firestore: 'https://firestore.googleapis.com',
} as const;

/** The version path long-running operations of each API are read under. */
const OPERATION_VERSION: Partial<Record<GoogleApi, string>> = { functions: 'v2', firestore: 'v1' };

export type GoogleApi = keyof typeof GOOGLE_API_HOSTS;

/** An error answer of a Google REST API (`{"error": {"code", "message", "status"}}`). */
export class GoogleApiError extends CaribouError {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

export const isGoogleApiError = (error: unknown, httpStatus: number): error is GoogleApiError => error instanceof GoogleApiError && error.httpStatus === httpStatus;

export interface GoogleRestClientOptions {
  /**
   * One base URL serving every API (a local fake of the control plane): no credentials are
   * sent then, as with Google's emulators. Unset: each API's Google host, with an OAuth token
   * from Application Default Credentials.
   */
  apiEndpoint?: string;
  /** Base URLs of single APIs, before `apiEndpoint` (Pub/Sub's emulator serves its REST API too). */
  endpoints?: Partial<Record<GoogleApi, string>>;
  /** Waits between polls of a long-running operation. */
  sleeper: Sleeper;
  /** Longest wait for one operation (a Cloud Run function build takes minutes). Default 15 min. */
  operationTimeoutMs?: number;
}

type AccessToken = () => Promise<string>;

/**
 * JSON over HTTPS to Google's REST APIs with Application Default Credentials, the way the
 * `googleapis` clients call them, without their 100 MB of generated code: the control plane
 * uses a dozen methods. Errors become one line naming the call and Google's message.
 */
export class GoogleRestClient {
  private tokenSource: AccessToken | undefined;

  constructor(private readonly options: GoogleRestClientOptions) {}

  private base(api: GoogleApi): string | undefined {
    return (this.options.endpoints?.[api] ?? this.options.apiEndpoint)?.replace(/\/+$/, '');
  }

  private url(api: GoogleApi, path: string): string {
    return `${this.base(api) ?? GOOGLE_API_HOSTS[api]}${path}`;
  }

  private async authorization(api: GoogleApi): Promise<Record<string, string>> {
    if (this.base(api)) return {};
    if (!this.tokenSource) {
      const { GoogleAuth } = await import('google-auth-library');
      const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
      this.tokenSource = async () => {
        let token: string | null | undefined;
        try {
          token = await auth.getAccessToken();
        } catch (error) {
          const reason = ((error as Error).message ?? String(error)).split('\n', 1)[0];
          throw new CaribouError(
            `No Google Cloud credentials (${reason}); run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file`,
            { cause: error },
          );
        }
        if (!token) throw new CaribouError('Application Default Credentials gave no access token; run gcloud auth application-default login');
        return token;
      };
    }
    return { authorization: `Bearer ${await this.tokenSource()}` };
  }

  /** Sends one request; the answer's JSON (an empty object for an empty body). */
  async request<T = Record<string, unknown>>(api: GoogleApi, method: string, path: string, body?: unknown): Promise<T> {
    const url = this.url(api, path);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...(await this.authorization(api)), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      if (error instanceof CaribouError) throw error;
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new CaribouError(`Could not reach ${new URL(url).host} (${method} ${path}): ${cause}`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) {
      let status = `HTTP_${response.status}`;
      let message = text.slice(0, 300);
      try {
        const parsed = JSON.parse(text) as { error?: { status?: string; message?: string } };
        status = parsed.error?.status ?? status;
        message = parsed.error?.message ?? message;
      } catch {
        /* not JSON: keep the text */
      }
      throw new GoogleApiError(response.status, status, `${method} ${path} failed: ${status}: ${message}`);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Puts the archive at a signed upload URL (Cloud Functions' generateUploadUrl). */
  async upload(uploadUrl: string, bytes: Buffer): Promise<void> {
    const response = await fetch(uploadUrl, { method: 'PUT', headers: { 'content-type': 'application/zip' }, body: bytes });
    if (!response.ok) throw new CaribouError(`Uploading the function source failed: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  }

  /** Reads a signed download URL (Cloud Functions' generateDownloadUrl). */
  async download(downloadUrl: string): Promise<Buffer> {
    const response = await fetch(downloadUrl, { signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new CaribouError(`Downloading the function source failed: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  /**
   * Polls a long-running operation (`projects/*\/locations/*\/operations/*`) until done; its
   * `response`, or the operation's error as one line.
   */
  async waitForOperation<T = Record<string, unknown>>(api: GoogleApi, operation: { name: string; done?: boolean; error?: { message?: string }; response?: unknown }, what: string): Promise<T> {
    const timeoutMs = this.options.operationTimeoutMs ?? 15 * 60_000;
    let current = operation;
    let waited = 0;
    let delay = 250;
    while (!current.done) {
      if (waited >= timeoutMs) throw new CaribouError(`${what} did not finish within ${Math.round(timeoutMs / 1000)} s (operation ${current.name}); check it with gcloud and retry`);
      await this.options.sleeper.sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, 5000);
      current = await this.request(api, 'GET', `/${OPERATION_VERSION[api] ?? 'v1'}/${current.name}`);
    }
    if (current.error) throw new CaribouError(`${what} failed: ${current.error.message ?? JSON.stringify(current.error)}`);
    return (current.response ?? {}) as T;
  }
}
