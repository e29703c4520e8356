export {
  createKeywordClassifier,
  validateKeywordRules,
  KeywordRuleError,
  type KeywordRule,
  type KeywordScope,
  type KeywordField,
  type KeywordInput,
  type KeywordMatch,
  type KeywordClassifier,
  type KeywordRuleProblem,
} from './keyword';
export { normalizeText } from './normalize';
export { parseLabelledCsv, CsvFormatError, type LabelledExample } from './csv';
export {
  trainIntentModel,
  loadIntentModel,
  IntentTrainingError,
  IntentModelFormatError,
  UNKNOWN_LABEL,
  INTENT_MODEL_FORMAT,
  INTENT_MODEL_VERSION,
  type TrainingExample,
  type IntentModel,
  type IntentModelJson,
  type IntentModelOptions,
  type IntentPrediction,
} from './intent-model';
export {
  evaluate,
  crossValidate,
  type ConfusionMatrix,
  type EvaluationResult,
  type CrossValidationOptions,
  type CrossValidationResult,
} from './evaluate';
