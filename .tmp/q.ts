import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { computeEngineQuery } from '/work/wt-retention/site/lib/quiz-answers.ts';
const q = parse(readFileSync('/work/wt-retention/content/quizzes/05-retention-and-compaction.yaml','utf8'));
for (const x of q.questions) if (x.answer) { const r = computeEngineQuery(x.answer); console.log(x.id, JSON.stringify(r.value), JSON.stringify(r.vars)); }
