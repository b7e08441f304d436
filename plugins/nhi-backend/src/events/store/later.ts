/** SQL for the later of a stored column and an incoming value: facts only move forward. */
export const later = (table: string, column: string, incoming: string) =>
  `case when ${incoming} is not null and (${table}.${column} is null or ${incoming} > ${table}.${column})
     then ${incoming} else ${table}.${column} end`;
