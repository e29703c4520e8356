import { Breadcrumb, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { Link } from 'react-router';

export interface Crumb {
  readonly title: ReactNode;
  readonly to?: string;
}

interface PageHeaderProps {
  readonly title: ReactNode;
  /** Plain-text title for the browser tab (defaults to `title` when it is a string). */
  readonly documentTitle?: string;
  readonly subtitle?: ReactNode;
  readonly breadcrumb?: readonly Crumb[];
  /** Actions on the right (buttons). */
  readonly extra?: ReactNode;
}

/** The title block at the top of every page: breadcrumb, title, subtitle and actions. */
export function PageHeader({ title, documentTitle, subtitle, breadcrumb, extra }: PageHeaderProps) {
  const tabTitle = documentTitle ?? (typeof title === 'string' ? title : undefined);
  useEffect(() => {
    if (tabTitle !== undefined) document.title = `${tabTitle} · Switchyard`;
  }, [tabTitle]);
  return (
    <div className="sy-page-header">
      {breadcrumb !== undefined && breadcrumb.length > 0 && (
        <Breadcrumb
          style={{ marginBottom: 8 }}
          items={breadcrumb.map((crumb) => ({
            title: crumb.to === undefined ? crumb.title : <Link to={crumb.to}>{crumb.title}</Link>,
          }))}
        />
      )}
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {subtitle !== undefined && (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
              {subtitle}
            </Typography.Paragraph>
          )}
        </div>
        {extra !== undefined && (
          <Flex gap={8} wrap>
            {extra}
          </Flex>
        )}
      </Flex>
    </div>
  );
}
