export * from './controls';
export * from './definitions';
