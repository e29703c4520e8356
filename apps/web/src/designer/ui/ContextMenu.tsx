import {
  ApartmentOutlined,
  CompressOutlined,
  CopyOutlined,
  DeleteOutlined,
  SnippetsOutlined,
} from '@ant-design/icons';
import { App, Dropdown } from 'antd';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { XY } from '../model/changes';
import { copySelection, deleteSelection, duplicateSelection, pasteText } from './commands';
import { useSession } from './context';
import { getShortcutHint } from './shortcuts';
import { useDesignerUi } from './ui-context';

export interface ContextMenuState {
  /** Where the menu opens, in screen coordinates. */
  readonly screen: XY;
  /** Where pasted nodes go, in flow coordinates. */
  readonly flow: XY;
  readonly target: 'node' | 'pane';
}

/** The right-click menu of the canvas: the same commands as the keyboard shortcuts. */
export function CanvasContextMenu({
  menu,
  onClose,
}: {
  readonly menu: ContextMenuState | null;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation('designer');
  const { message } = App.useApp();
  const { store } = useSession();
  const ui = useDesignerUi();
  if (menu === null) return null;
  const selected = store.getState().selection.nodeIds.length;
  const label = (key: string, shortcut: string) => (
    <span className="sy-menu-item">
      <span>{t(key)}</span>
      <kbd>{getShortcutHint(shortcut)}</kbd>
    </span>
  );
  const items: MenuProps['items'] =
    menu.target === 'node'
      ? [
          { key: 'duplicate', icon: <CopyOutlined />, label: label('menu.duplicate', 'duplicate') },
          { key: 'copy', icon: <SnippetsOutlined />, label: label('menu.copy', 'copy') },
          ...(selected > 1
            ? [{ key: 'layout', icon: <ApartmentOutlined />, label: t('toolbar.layoutSelection') }]
            : []),
          { type: 'divider' as const },
          {
            key: 'delete',
            icon: <DeleteOutlined />,
            danger: true,
            label: label('menu.delete', 'delete'),
          },
        ]
      : [
          { key: 'paste', icon: <SnippetsOutlined />, label: label('menu.paste', 'paste') },
          {
            key: 'layout',
            icon: <ApartmentOutlined />,
            label: label('toolbar.layoutShort', 'layout'),
          },
          { key: 'fit', icon: <CompressOutlined />, label: label('toolbar.fitView', 'fitView') },
        ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    onClose();
    switch (key) {
      case 'duplicate':
        duplicateSelection(store);
        break;
      case 'copy': {
        const text = copySelection(store);
        if (text !== null) {
          navigator.clipboard.writeText(text).then(
            () => void message.info(t('clipboard.copied', { count: selected })),
            () => void message.warning(t('clipboard.denied')),
          );
        }
        break;
      }
      case 'delete':
        deleteSelection(store);
        break;
      case 'layout':
        void ui.autoLayout();
        break;
      case 'fit':
        ui.canvas.current?.fitView();
        break;
      case 'paste':
        navigator.clipboard.readText().then(
          (text) => {
            const error = pasteText(store, text, menu.flow);
            if (error !== null) void message.warning(error);
          },
          () => void message.warning(t('clipboard.denied')),
        );
        break;
    }
  };
  return (
    <Dropdown
      open
      menu={{ items, onClick }}
      trigger={['contextMenu']}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <div
        className="sy-context-anchor"
        style={{ left: menu.screen.x, top: menu.screen.y }}
        data-testid="canvas-context-menu"
      />
    </Dropdown>
  );
}
