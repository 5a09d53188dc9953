/**
 * Where the CLI finds the files it needs besides its code: the SDK it bundles into functions,
 * the project template, its worker threads' entries, the remote framework's bundle.
 *
 * Running from the sources (`npx caribou` in the checkout) every field is left out and each
 * adapter finds its own files next to its sources. The packed CLI (`npm run pack`, see
 * tools/pack) sets the layout once, from its entry module, to the files it carries.
 */
export interface InstallLayout {
  /** `@caribou/sdk` specifiers (`@caribou/sdk`, `@caribou/sdk/runtime`) → the files functions are bundled with. */
  sdkModules?: Readonly<Record<string, string>>;
  /** The packed SDK that new projects vendor and depend on. */
  sdkTarball?: string;
  templateDir?: string;
  /** Entry of the local provider's worker threads. */
  localWorkerEntry?: URL;
  /** Entry of the solver's worker threads (`--calculator fast`). */
  solverWorkerEntry?: URL;
  /** The remote framework's prebuilt Lambda bundle (`deploy_remote_cli`). */
  remoteHandlerDir?: string;
  /** The Dockerfile of container-image packages. */
  functionDockerfile?: string;
}

let current: Readonly<InstallLayout> = {};

/** Called once by the packed CLI's entry, before any command runs. */
export function useInstallLayout(layout: InstallLayout): void {
  current = Object.freeze({ ...layout });
}

export function installLayout(): Readonly<InstallLayout> {
  return current;
}
