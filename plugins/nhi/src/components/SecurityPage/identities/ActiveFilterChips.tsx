import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  type IdentityFilter,
  filterChips,
  isFilterEmpty,
  removeFromFilter,
} from '../identityFilter';

/** The filter as chips; each removable (and "Clear all" shown) when `onFilterChange` is given. */
export function ActiveFilterChips(props: {
  filter: IdentityFilter;
  onFilterChange?: (filter: IdentityFilter) => void;
}) {
  const { filter, onFilterChange } = props;
  const chips = filterChips(filter);
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      mb={1}
      aria-label="Active filter"
      role="group"
    >
      {chips.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          All identities, no filter
        </Typography>
      ) : (
        <>
          <Typography
            variant="body2"
            color="textSecondary"
            style={{ marginRight: 8 }}
          >
            Filtered by
          </Typography>
          {chips.map(chip => (
            <Chip
              key={`${chip.key}=${chip.value}`}
              label={chip.label}
              size="small"
              style={{ margin: 2 }}
              data-testid={`filter-chip-${chip.key}-${chip.value}`}
              onDelete={
                onFilterChange
                  ? () =>
                      onFilterChange(
                        removeFromFilter(filter, chip.key, chip.value),
                      )
                  : undefined
              }
            />
          ))}
          {onFilterChange && !isFilterEmpty(filter) && (
            <Button size="small" onClick={() => onFilterChange({})}>
              Clear all
            </Button>
          )}
        </>
      )}
    </Box>
  );
}
