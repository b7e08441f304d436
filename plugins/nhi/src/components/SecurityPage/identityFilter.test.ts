import {
  cellFilter,
  dimensionFilter,
  drillDownLink,
  filterChips,
  filterFromSearchParams,
  filterToSearchParams,
  mergeFilters,
  shortRef,
} from './identityFilter';

describe('identity filter in the URL', () => {
  it('reads repeated and comma-separated values and the compliant flag', () => {
    expect(
      filterFromSearchParams(
        new URLSearchParams(
          'tab=identities&finding=owner-missing,owner-orphaned&usage=dormant&usage=never-used&compliant=false&sort=x',
        ),
      ),
    ).toEqual({
      finding: ['owner-missing', 'owner-orphaned'],
      usage: ['dormant', 'never-used'],
      compliant: false,
    });
  });

  it('writes the filter and keeps the other parameters', () => {
    const params = filterToSearchParams(
      { owner: ['group:default/payments'], compliant: true },
      new URLSearchParams('tab=identities&rotation=overdue'),
    );
    expect(params.get('tab')).toBe('identities');
    expect(params.getAll('rotation')).toEqual([]);
    expect(params.getAll('owner')).toEqual(['group:default/payments']);
    expect(params.get('compliant')).toBe('true');
  });

  it('round-trips', () => {
    const filter = {
      owner: ['group:default/payments'],
      finding: ['unapproved'],
      compliant: false,
    };
    expect(
      filterFromSearchParams(
        new URLSearchParams(drillDownLink(filter).slice(1)),
      ),
    ).toEqual(filter);
  });

  it('links to the identities tab', () => {
    expect(drillDownLink({ rotation: ['overdue'] })).toBe(
      '?tab=identities&rotation=overdue',
    );
    expect(drillDownLink({})).toBe('?tab=identities');
  });
});

describe('drill-down filters', () => {
  it('filters a rollup row by its dimension', () => {
    expect(dimensionFilter('owner', 'group:default/a')).toEqual({
      owner: ['group:default/a'],
    });
    expect(dimensionFilter('owner', '')).toEqual({
      finding: ['owner-missing'],
    });
    expect(dimensionFilter('system', '')).toBeUndefined();
    expect(dimensionFilter('finding', 'dormant')).toEqual({
      finding: ['dormant'],
    });
  });

  it('combines a row and a figure where the list can', () => {
    expect(cellFilter('owner', 'group:default/a', 'expired')).toEqual({
      owner: ['group:default/a'],
      rotation: ['expired'],
    });
    expect(cellFilter('owner', '', 'unapproved')).toBeUndefined();
    expect(cellFilter('owner', 'group:default/a', 'highRisk')).toBeUndefined();
    expect(mergeFilters({ finding: ['a'] }, { finding: ['a'] })).toEqual({
      finding: ['a'],
    });
  });

  it('labels chips readably', () => {
    expect(
      filterChips({
        owner: ['group:default/payments'],
        finding: ['owner-missing'],
        usage: ['never-used'],
      }).map(c => c.label),
    ).toEqual(['Owner: payments', 'Usage: never used', 'Finding: No owner']);
    expect(shortRef('group:ops/platform')).toBe('ops/platform');
  });
});
