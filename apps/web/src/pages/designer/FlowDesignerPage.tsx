import { Result } from 'antd';
import { useParams } from 'react-router';

/** `/flows/:id`: the designer canvas (mounted here once src/designer exports it). */
export default function FlowDesignerPage() {
  const { id = '' } = useParams();
  return <Result status="info" title={id} subTitle="The designer is being built." />;
}
