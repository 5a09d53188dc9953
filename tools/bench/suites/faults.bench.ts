import { CAMPAIGNS } from '../../faults/campaigns';
import { addFigures, emptyFigures, formatFigures, savedFigures } from '../../faults/figures';
import type { BenchLine, BenchSuite } from '../bench';

/**
 * The fault suite's figures: the in-process campaigns (config.yml, stored rows, log lines,
 * remote events, HTTP answers) run here with the suite's seed; the kill, CLI-corpus and AWS
 * fault-injection figures are the ones `npm run test:faults` (or `npm test`) recorded last,
 * as they take minutes of CLI runs.
 */
const suite: BenchSuite = {
  name: 'fault suite: inputs tried, clean refusals, kills, recoveries, runs lost/duplicated',
  async run({ quick }) {
    const total = emptyFigures();
    for (const campaign of CAMPAIGNS) {
      const figures = await campaign.run({ seed: 22, runs: quick ? 100 : 400 });
      console.log(`  ${formatFigures(campaign.name, figures)}`);
      addFigures(total, figures);
    }
    const saved = savedFigures();
    for (const { name, at, figures } of saved) {
      console.log(`  ${formatFigures(`${name} (last npm run test:faults, ${at})`, figures)}`);
      addFigures(total, figures);
    }
    if (saved.length === 0) console.log('  (no kill or CLI-corpus figures yet: run npm run test:faults)');
    const lines: BenchLine[] = [
      { label: 'inputs tried', value: total.inputsTried, unit: 'inputs' },
      { label: 'bad inputs refused cleanly', value: total.badInputs === 0 ? 100 : (100 * total.cleanRefusals) / total.badInputs, unit: '%', goal: '100 %' },
      { label: 'kills (SIGKILL of CLI commands)', value: total.kills, unit: 'kills' },
      { label: 'clean recoveries', value: total.kills === 0 ? 100 : (100 * total.cleanRecoveries) / total.kills, unit: '%', goal: '100 %' },
      { label: 'runs started and accounted for (kills, AWS faults)', value: total.runsStarted, unit: 'runs' },
      { label: 'runs lost', value: total.runsLost, unit: 'runs', goal: '0' },
      { label: 'runs duplicated', value: total.runsDuplicated, unit: 'runs', goal: '0' },
    ];
    return lines;
  },
};

export default suite;
