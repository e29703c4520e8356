import { theme } from 'antd';
import type { ThemeConfig } from 'antd';

/** Brand colour: a deep signal blue, used for primary actions, links and the logo mark. */
export const BRAND_COLOR = '#3b5bdb';
/** The side navigation's background. */
export const SIDER_COLOR = '#0f172a';

export const appTheme: ThemeConfig = {
  algorithm: theme.defaultAlgorithm,
  token: {
    colorPrimary: BRAND_COLOR,
    colorInfo: BRAND_COLOR,
    colorSuccess: '#2f9e44',
    colorWarning: '#f08c00',
    colorError: '#e03131',
    colorBgLayout: '#f4f6fa',
    borderRadius: 8,
    fontSize: 14,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: {
      siderBg: SIDER_COLOR,
      headerBg: '#ffffff',
      headerHeight: 56,
      headerPadding: '0 24px',
    },
    Menu: {
      darkItemBg: SIDER_COLOR,
      darkSubMenuItemBg: SIDER_COLOR,
      darkItemSelectedBg: BRAND_COLOR,
      darkGroupTitleColor: 'rgba(255, 255, 255, 0.45)',
      itemBorderRadius: 6,
    },
    Table: { headerBg: '#f8f9fc', headerColor: '#475467' },
    Card: { headerFontSize: 15 },
  },
};
