/**
 * The AWS provider's constants and pure helpers, without the AWS SDK: the CLI imports
 * these at start-up for its command definitions, and loading the SDK clients takes seconds.
 */
export { REMOTE_FRAMEWORK_DEFAULTS, REMOTE_SECRET_NAMES, validateRemoteFrameworkSettings } from './remote/settings';
export type { RemoteFrameworkSettings, RemoteSecretName } from './remote/settings';
