/** An Adaptive Cards host config close to Teams' light theme (fonts, spacing, colours), for the HTML report. */
const colors = {
  default: { default: '#242424', subtle: '#616161' },
  dark: { default: '#242424', subtle: '#616161' },
  light: { default: '#FFFFFF', subtle: '#F5F5F5' },
  accent: { default: '#5B5FC7', subtle: '#7F85F5' },
  good: { default: '#237B4B', subtle: '#2E8B57' },
  warning: { default: '#835C00', subtle: '#A86F00' },
  attention: { default: '#C4314B', subtle: '#D13438' },
};

export const TEAMS_HOST_CONFIG = {
  fontFamily:
    "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', 'DejaVu Sans', sans-serif",
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: colors },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: colors },
    accent: { backgroundColor: '#EBEBF7', foregroundColors: colors },
    good: { backgroundColor: '#E7F2DA', foregroundColors: colors },
    attention: { backgroundColor: '#FCF4F6', foregroundColors: colors },
    warning: { backgroundColor: '#FBF6D9', foregroundColors: colors },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  adaptiveCard: { allowCustomStyle: true },
  factSet: {
    title: {
      color: 'default',
      size: 'default',
      isSubtle: false,
      weight: 'bolder',
      wrap: true,
      maxWidth: 160,
    },
    value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 8,
  },
};
