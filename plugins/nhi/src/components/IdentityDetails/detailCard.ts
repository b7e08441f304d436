import { makeStyles } from '@material-ui/core/styles';

/** The bordered card each finding and each source sits in, with its wrapping header line. */
export const useDetailCardStyles = makeStyles(theme => ({
  card: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1.5, 2),
    marginBottom: theme.spacing(1.5),
    backgroundColor: theme.palette.background.paper,
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1),
  },
}));
