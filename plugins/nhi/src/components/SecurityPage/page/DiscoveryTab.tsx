import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import { SourceHealthPanel } from '../discovery/SourceHealthPanel';
import { UndeclaredPanel } from '../discovery/UndeclaredPanel';

/** Undeclared credentials above the sources; a source read from here reloads that list. */
export function DiscoveryTab() {
  const [discoveryReads, setDiscoveryReads] = useState(0);
  const onDiscoveryRead = useCallback(() => setDiscoveryReads(n => n + 1), []);
  return (
    <>
      <Box mb={3}>
        <UndeclaredPanel key={discoveryReads} />
      </Box>
      <SourceHealthPanel onRead={onDiscoveryRead} />
    </>
  );
}
