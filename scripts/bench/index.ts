import { apimDeploy } from './apim-deploy';
import { apimDeployV2 } from './apim-deploy-v2';
import { appService } from './app-service';
import { armgateCorpus } from './armgate-corpus';
import { armgateCoverage } from './armgate-coverage';
import { armgateScale } from './armgate-scale';
import { coldStart } from './cold-start';
import { jenkins } from './jenkins';
import { Benchmark } from './types';
import { vsixSize } from './vsix-size';

/** Every benchmark, in the order they run and print. Add a module, then list it here. */
export const BENCHMARKS: Benchmark[] = [vsixSize, coldStart, armgateCorpus, armgateCoverage, armgateScale, apimDeploy, apimDeployV2, appService, jenkins];
