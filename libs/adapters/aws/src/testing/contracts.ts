// The ports package exports only its root, and the contract suites must stay out of it
// (they import vitest). Until libs/ports/package.json exports "./contracts", reach them by path.
// eslint-disable-next-line @nx/enforce-module-boundaries
export * from '../../../../ports/src/contracts/index';
