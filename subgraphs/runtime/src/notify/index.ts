export * from './types';
export * from './klaviyo';
export * from './twilio';
export * from './dev';
export * from './templates';
