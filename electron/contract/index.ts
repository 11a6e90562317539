export * from './calls';
export * from './domain';
export * from './errors';
export * from './bridge';
export * from './money';
