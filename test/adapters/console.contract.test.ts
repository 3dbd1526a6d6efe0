import { platformContract } from './contract.ts';
import { consoleDriver } from './drivers/console.ts';

platformContract(consoleDriver);
