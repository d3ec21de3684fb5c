// Unit: the shared tap queue options (queue filter, --device, refusals). Counts and histograms are
// proven in the test kernels (test/kernel.test.ts).

import { describeTapQueueOptions } from '../../../tooling/test-support/tap-plugin.js';
import plugin from '../src/index.js';

describeTapQueueOptions(plugin);
