export { AwsClients, PRICING_API_REGION } from './config';
export { AwsClientCache } from './client-cache';
export type { AwsAdapterConfig, AwsClientOptions, AwsCredentials } from './client-cache';
export { AwsEnvironment, awsConfigFromEnv } from './env';
export { createAwsAdapters } from './adapters';
export type { AwsAdapterSet } from './adapters';
export { awsEntry, LAMBDA_PROVIDED_PACKAGES } from './runtime/entry';
export { awsErrorName, isAwsError } from './errors';
export { DynamoDbKeyValueStore } from './dynamodb/key-value-store';
export type { DynamoDbKeyValueStoreOptions } from './dynamodb/key-value-store';
export { DynamoDbSyncStore, DynamoDbSyncStoreProvider, SyncAttributes } from './dynamodb/sync-store';
export { DynamoDbExecutionMarkerProvider, DynamoDbExecutionMarkerStore, MarkerAttributes } from './dynamodb/execution-markers';
export { compressValue, decompressValue } from './dynamodb/compression';
export { TABLE_WAITER } from './dynamodb/tables';
export { LambdaFunctionPlatform, LambdaEnvironment, MAX_DIRECT_ZIP_BYTES } from './lambda/function-platform';
export { LambdaRetryStrategy, LAMBDA_MIN_ATTEMPTS, isLambdaBusy, isRolePropagationError } from './lambda/retry-strategy';
export type { LambdaFunctionPlatformOptions, LambdaFunctionConfiguration, LambdaFunctionDefinition } from './lambda/function-platform';
export { LambdaFunctionInvoker } from './lambda/function-invoker';
export { LambdaArtifactCopier } from './lambda/artifact-copier';
export { LambdaPackageBuilder } from './lambda/package-builder';
export type { LambdaArtifactCopierOptions } from './lambda/artifact-copier';
export { EcrImageCopier } from './ecr/image-copier';
export type { EcrImageCopierOptions, StoredManifest } from './ecr/image-copier';
export { parseEcrImageUri, formatEcrImageUri, parseImageManifest, IMAGE_MANIFEST_TYPES } from './ecr/image-reference';
export type { EcrImageReference, ImageManifest } from './ecr/image-reference';
export { ImagePackageBuilder, NO_DOCKER_ENGINE_MESSAGE, DEFAULT_FUNCTION_DOCKERFILE } from './ecr/image-package-builder';
export type { ImagePackageBuilderOptions } from './ecr/image-package-builder';
export { IamIdentityManager, iamRoleName, LAMBDA_TRUST_POLICY, MAX_ROLE_NAME_LENGTH } from './iam/identity-manager';
export type { IamIdentityManagerOptions } from './iam/identity-manager';
export { CloudWatchLogGroups } from './logs/log-groups';
export { CloudWatchLogSource, DEFAULT_MAX_CHUNK_LINES, filterPatternFor, lambdaLogGroup, LAMBDA_INSIGHTS_LOG_GROUP } from './logs/log-source';
export type { CloudWatchLogSourceOptions } from './logs/log-source';
export { EventBridgeScheduler, timerRuleName, TIMER_TARGET_ID, REMOTE_FRAMEWORK_FUNCTION } from './events/scheduler';
export type { EventBridgeSchedulerOptions } from './events/scheduler';
export {
  LambdaRemoteFramework,
  REMOTE_FRAMEWORK_ROLE,
  REMOTE_FRAMEWORK_DEFAULTS,
  REMOTE_FRAMEWORK_TIMEOUT_VARIABLE,
  remoteTimeBudgetSeconds,
  validateRemoteFrameworkSettings,
} from './remote/remote-framework';
export type { LambdaRemoteFrameworkOptions, RemoteFrameworkPackage, RemoteFrameworkSettings } from './remote/remote-framework';
export { functionRolePolicy, remoteFrameworkPolicy, LAMBDA_SERVICE, type PolicyDocument, type PolicyStatement, type FunctionPolicyInput, type RemoteFrameworkPolicyInput } from './iam/policies';
export { InstallNamespace, DEFAULT_INSTALL, INSTALL_VARIABLE, InstallTags, MANAGED_BY, checkInstallName, tagList, workflowOfPhysicalName } from './install/install-namespace';
export { allAwsRegions, diffAwsInventories, inventoryAwsResources, inventoryLines } from './inventory';
export type { AwsInventory, AwsRegionInventory } from './inventory';
export { AwsEnabledRegions, listEnabledRegions } from './pricing/regions';
export { fetchPriceListFiles, PricingUnavailableError } from './pricing/price-list-api';
export type { PriceListFetchOptions } from './pricing/price-list-api';
export { fetchLambdaPrices, parseLambdaPriceList } from './pricing/lambda-prices';
export type { LambdaRegionPrices } from './pricing/lambda-prices';
export { AwsRegionCatalog } from './pricing/region-catalog';
export type { AwsRegionCatalogOptions } from './pricing/region-catalog';
export { awsModule, awsPackagingModule, AWS_TOKENS } from './module';
export type { AwsModuleOptions } from './module';
export { SqsFailureDestinations } from './sqs/failure-destinations';
export { SsmSecretParameters, readRemoteFrameworkSecrets } from './ssm/secret-parameters';
export { REMOTE_SECRET_NAMES, type RemoteSecretName } from './remote/settings';
export { listInstallResources } from './install/install-resources';
export type { InstallResource, InstallResourceType } from './install/install-resources';
