export * from '@caribou/ports/contracts';
