import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * SQLite always; PostgreSQL when scripts/test.sh started one (a Debian server, no Docker). The
 * script sets NHI_TEST_POSTGRES_ID, and `expectedDatabaseIds` then includes it, so a missing
 * server fails the run instead of silently skipping it.
 */
export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
    disableDocker: true,
  });
}

export const expectedDatabaseIds: TestDatabaseId[] = [
  'SQLITE_3',
  ...(process.env.NHI_TEST_POSTGRES_ID
    ? [process.env.NHI_TEST_POSTGRES_ID as TestDatabaseId]
    : []),
];
