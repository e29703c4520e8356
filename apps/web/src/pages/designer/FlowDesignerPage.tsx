import { useParams } from 'react-router';
import { Designer } from '../../designer';

/** `/flows/:id`: the designer for one flow (remounted when the id changes). */
export default function FlowDesignerPage() {
  const { id = '' } = useParams();
  return <Designer key={id} flowId={id} />;
}
