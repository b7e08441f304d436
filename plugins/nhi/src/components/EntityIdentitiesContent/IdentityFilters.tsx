import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { makeStyles } from '@material-ui/core/styles';
import {
  FINDING_CODES,
  FindingCode,
  IdentitySortField,
  MACHINE_IDENTITY_TYPES,
  MachineIdentityType,
  REVIEW_STATUSES,
  ROTATION_STATUSES,
  ReviewStatus,
  RotationStatus as RotationStatusValue,
  USAGE_STATUSES,
  UsageStatus,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityListQuery } from '../../api';

/** What the viewer chose above the table; each filter matches any of its values. */
export interface IdentityFilterState {
  rotation: RotationStatusValue[];
  usage: UsageStatus[];
  review: ReviewStatus[];
  finding: FindingCode[];
  type: MachineIdentityType[];
  sort: IdentitySortField;
  order: 'asc' | 'desc';
}

/** The backend's defaults: riskiest first. */
export const DEFAULT_FILTERS: IdentityFilterState = {
  rotation: [],
  usage: [],
  review: [],
  finding: [],
  type: [],
  sort: 'risk',
  order: 'desc',
};

type FilterKey = 'rotation' | 'usage' | 'review' | 'finding' | 'type';

export function hasFilters(state: IdentityFilterState): boolean {
  return (
    state.rotation.length +
      state.usage.length +
      state.review.length +
      state.finding.length +
      state.type.length >
    0
  );
}

/** The server query for one page of the filtered, sorted list. */
export function toListQuery(
  state: IdentityFilterState,
  page: { limit: number; offset: number },
): IdentityListQuery {
  const list = <T extends string>(values: T[]) =>
    values.length ? values : undefined;
  return {
    rotation: list(state.rotation),
    usage: list(state.usage),
    review: list(state.review),
    finding: list(state.finding),
    type: list(state.type),
    sort: state.sort,
    order: state.order,
    ...page,
  };
}

const words = (value: string) => value.replace(/-/g, ' ');

const FILTERS: Array<{
  key: FilterKey;
  label: string;
  options: readonly string[];
  optionLabel: (value: string) => string;
}> = [
  {
    key: 'rotation',
    label: 'Rotation',
    options: ROTATION_STATUSES,
    optionLabel: words,
  },
  { key: 'usage', label: 'Usage', options: USAGE_STATUSES, optionLabel: words },
  {
    key: 'review',
    label: 'Review',
    options: REVIEW_STATUSES,
    optionLabel: words,
  },
  {
    key: 'finding',
    label: 'Finding',
    options: FINDING_CODES,
    optionLabel: code => builtInFindingDefinition(code)?.title ?? code,
  },
  {
    key: 'type',
    label: 'Type',
    options: MACHINE_IDENTITY_TYPES,
    optionLabel: value => value,
  },
];

const SORTS: Array<{ value: IdentitySortField; label: string }> = [
  { value: 'risk', label: 'Risk' },
  { value: 'name', label: 'Name' },
  { value: 'type', label: 'Type' },
  { value: 'owner', label: 'Owner' },
  { value: 'rotation', label: 'Rotation' },
  { value: 'updated', label: 'Last updated' },
];

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  control: { minWidth: 150, maxWidth: 260 },
}));

function LabelledSelect(props: {
  id: string;
  label: string;
  value: string | string[];
  multiple?: boolean;
  renderValue?: (value: unknown) => ReactNode;
  onChange: (value: unknown) => void;
  children: ReactNode;
}) {
  const classes = useStyles();
  const labelId = `nhi-filter-${props.id}-label`;
  return (
    <FormControl className={classes.control} size="small">
      <InputLabel id={labelId} shrink>
        {props.label}
      </InputLabel>
      <Select
        labelId={labelId}
        id={`nhi-filter-${props.id}`}
        multiple={props.multiple}
        displayEmpty
        value={props.value}
        renderValue={props.renderValue}
        onChange={e => props.onChange(e.target.value)}
      >
        {props.children}
      </Select>
    </FormControl>
  );
}

/** Filters by status, finding and type, and the server-side sort, as selects above the table. */
export function IdentityFilters(props: {
  value: IdentityFilterState;
  onChange: (value: IdentityFilterState) => void;
}) {
  const classes = useStyles();
  const { value, onChange } = props;
  return (
    <Box className={classes.bar} role="group" aria-label="Filter identities">
      {FILTERS.map(filter => (
        <LabelledSelect
          key={filter.key}
          id={filter.key}
          label={filter.label}
          multiple
          value={value[filter.key]}
          renderValue={selected =>
            (selected as string[]).length
              ? (selected as string[]).map(filter.optionLabel).join(', ')
              : 'Any'
          }
          onChange={selected =>
            onChange({ ...value, [filter.key]: selected as string[] })
          }
        >
          {filter.options.map(option => (
            <MenuItem key={option} value={option}>
              {filter.optionLabel(option)}
            </MenuItem>
          ))}
        </LabelledSelect>
      ))}
      <LabelledSelect
        id="sort"
        label="Sort by"
        value={value.sort}
        onChange={sort =>
          onChange({ ...value, sort: sort as IdentitySortField })
        }
      >
        {SORTS.map(sort => (
          <MenuItem key={sort.value} value={sort.value}>
            {sort.label}
          </MenuItem>
        ))}
      </LabelledSelect>
      <LabelledSelect
        id="order"
        label="Order"
        value={value.order}
        onChange={order =>
          onChange({ ...value, order: order as 'asc' | 'desc' })
        }
      >
        <MenuItem value="desc">Descending</MenuItem>
        <MenuItem value="asc">Ascending</MenuItem>
      </LabelledSelect>
      {hasFilters(value) && (
        <Button
          size="small"
          onClick={() =>
            onChange({
              ...DEFAULT_FILTERS,
              sort: value.sort,
              order: value.order,
            })
          }
        >
          Clear filters
        </Button>
      )}
    </Box>
  );
}
