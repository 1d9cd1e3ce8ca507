/**
 * The studio's editor: the checkpoint's Monaco chunk (../checkpoint/monaco-setup.ts: the editor API and the
 * editing features) plus YAML — Monaco's YAML highlighting and monaco-yaml (completion and hovers from the
 * scenario's JSON Schema, which content/schema/scenario-reference.ts generates from the zod schema at build
 * time). Loaded only on /studio/.
 *
 * Validation is ours, not monaco-yaml's (`validate: false`): the studio shows the build's own messages
 * (path, received, expected, near-miss suggestions) as markers, so an author reads one wording everywhere.
 *
 * Monaco 0.57 moved two things monaco-yaml 5.5 relies on; both are bridged here, not patched in the package:
 * - its worker imports `monaco-editor/esm/vs/editor/editor.worker.js`, a path 0.57's exports map no longer
 *   serves: astro.config.mjs aliases it to `monaco-editor/editor/editor.worker.js`;
 * - `monaco.editor.createWebWorker` now takes the worker itself (`{ worker }`) instead of `{ label, moduleId,
 *   createData }`: `withModuleWorkers` hands monaco-yaml an `editor` whose createWebWorker starts the YAML
 *   worker and sends it its createData the way 0.57's own language workers are started
 *   (monaco-editor/esm/vs/internal/common/workers.js: a first "ignore" message, then createData).
 */
import 'monaco-editor/languages/definitions/yaml/register';
import { configureMonacoYaml } from 'monaco-yaml';
import YamlWorker from 'monaco-yaml/yaml.worker.js?worker';
import { setupMonaco, type Monaco } from '../checkpoint/monaco-setup.ts';
import type { JsonSchema } from '../../../content/schema/scenario-reference.ts';

/** The URI of the studio's model (monaco-yaml matches the schema to it). */
export const STUDIO_MODEL_URI = 'file:///studio/scenario.yaml';
/** The owner of the studio's markers. */
export const MARKER_OWNER = 'partition-lab-scenario';

let configured = false;

/** Monaco with YAML and the scenario schema, once per page. */
export function setupStudioEditor(schema: JsonSchema): Monaco {
  const monaco = setupMonaco();
  if (configured) return monaco;
  configured = true;
  configureMonacoYaml(withModuleWorkers(monaco), {
    enableSchemaRequest: false,
    validate: false,
    completion: true,
    hover: true,
    hoverSchemaSource: false,
    format: { enable: false },
    schemas: [{ uri: 'https://partition-lab.local/scenario.schema.json', fileMatch: [STUDIO_MODEL_URI], schema: schema as never }],
  });
  return monaco;
}

type CreateWebWorkerOptions = Parameters<Monaco['editor']['createWebWorker']>[0];
type LegacyWorkerOptions = { label?: string; moduleId?: string; createData?: unknown; host?: unknown; keepIdleModels?: boolean };

/** Monaco with an `editor.createWebWorker` that also accepts monaco-yaml's pre-0.57 options (see the header). */
function withModuleWorkers(monaco: Monaco): Monaco {
  const createWebWorker = (opts: CreateWebWorkerOptions | LegacyWorkerOptions) => {
    if ('worker' in opts && opts.worker) return monaco.editor.createWebWorker(opts as CreateWebWorkerOptions);
    const legacy = opts as LegacyWorkerOptions;
    const worker = new YamlWorker();
    worker.postMessage('ignore');
    worker.postMessage(legacy.createData);
    return monaco.editor.createWebWorker({
      worker: Promise.resolve(worker),
      host: legacy.host,
      keepIdleModels: legacy.keepIdleModels,
    } as unknown as CreateWebWorkerOptions);
  };
  return { ...monaco, editor: { ...monaco.editor, createWebWorker } } as Monaco;
}
