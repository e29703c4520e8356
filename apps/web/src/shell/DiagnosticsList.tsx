import { CloseCircleFilled, WarningFilled } from '@ant-design/icons';
import { List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Diagnostic } from '@switchyard/flow';
import { translateDiagnostic } from '../designer/ui/diagnostic-text';
import { sortDiagnostics } from './diagnostics';

/** A compact list of lint problems: severity icon, message, node and JSON path. */
/** Lint writes English; the designer's strings translate each code into the UI language. */
export function DiagnosticsList({ items }: { readonly items: readonly Diagnostic[] }) {
  const { t } = useTranslation();
  const { t: tDesigner } = useTranslation('designer');
  return (
    <List
      size="small"
      className="sy-diagnostics"
      dataSource={sortDiagnostics(items)}
      style={{ maxHeight: 360, overflow: 'auto' }}
      renderItem={(item) => (
        <List.Item data-testid="diagnostic">
          <Space align="start" size={10}>
            {item.severity === 'error' ? (
              <CloseCircleFilled style={{ color: '#e03131', marginTop: 4 }} />
            ) : (
              <WarningFilled style={{ color: '#f08c00', marginTop: 4 }} />
            )}
            <div>
              <Typography.Text>{translateDiagnostic(item, tDesigner)}</Typography.Text>
              <div>
                <Tag variant="filled" style={{ marginTop: 4 }}>
                  {item.code}
                </Tag>
                {item.nodeId !== undefined && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('diagnostics.node', { id: item.nodeId })}
                  </Typography.Text>
                )}
                {item.path !== '' && (
                  <Typography.Text type="secondary" code style={{ fontSize: 12, marginLeft: 6 }}>
                    {item.path}
                  </Typography.Text>
                )}
              </div>
            </div>
          </Space>
        </List.Item>
      )}
    />
  );
}
