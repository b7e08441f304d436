import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { SECURITY_PAGE_TABS, type SecurityPageTab } from './securityPageParams';

/** The page's tabs, and the panel of the current one holding `children`. */
export function SecurityTabs(props: {
  tab: SecurityPageTab;
  onChange: (tab: SecurityPageTab) => void;
  children: ReactNode;
}) {
  const { tab } = props;
  return (
    <>
      <Box mb={3}>
        <Tabs
          value={tab}
          onChange={(_, next) => props.onChange(next)}
          indicatorColor="primary"
          textColor="primary"
          aria-label="Security views"
        >
          {SECURITY_PAGE_TABS.map(t => (
            <Tab
              key={t.id}
              value={t.id}
              label={t.label}
              id={`nhi-security-tab-${t.id}`}
              aria-controls={`nhi-security-tabpanel-${t.id}`}
            />
          ))}
        </Tabs>
      </Box>
      <div
        role="tabpanel"
        id={`nhi-security-tabpanel-${tab}`}
        aria-labelledby={`nhi-security-tab-${tab}`}
      >
        {props.children}
      </div>
    </>
  );
}
