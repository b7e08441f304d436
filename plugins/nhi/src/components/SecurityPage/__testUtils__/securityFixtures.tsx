/**
 * Everything the security page's tests share, from one import: the sample data (split by
 * concern in the files beside this one), the fake NhiApi answering with it, and the test app.
 */
export * from './rollupFixtures';
export * from './reviewFixtures';
export * from './discoveryFixtures';
export * from './evidenceFixtures';
export * from './fakeNhiApi';
export * from './testApp';
