export * from './client';
export * from './migrate';
export * from './ids';
export * as schema from './schema/index';
export * from './schema/index';
