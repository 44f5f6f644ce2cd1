import 'reflect-metadata';

export * from './config';
export * from './logger';
export * from './principal';
export * from './internal-credential';
export * from './pubsub';
export * from './cache';
export * from './errors';
export * from './relay';
export * from './context';
export * from './federation';
export * from './server';
export * from './http';
export * from './secrets';
export * from './worker';
