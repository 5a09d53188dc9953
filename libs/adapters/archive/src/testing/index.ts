export { readZipEntries } from './read-zip';
export { unzipEntries, zipListing } from './unzip';
