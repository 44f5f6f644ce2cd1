export * from './client';
export * from './discounts';
