import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../src/workflows/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

/** The time-skipping test server has no --search-attribute flag: register ours through its operator API. */
export async function registerSearchAttributes(connection: Connection): Promise<void> {
  const searchAttributes = Object.fromEntries(
    SEARCH_ATTRIBUTE_REGISTRATIONS.map((registration) => {
      const [name, type] = registration.split('=') as [string, string];
      const indexed = IndexedValueType[`INDEXED_VALUE_TYPE_${type.toUpperCase()}` as keyof typeof IndexedValueType];
      return [name, indexed];
    }),
  );
  await connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes });
}
