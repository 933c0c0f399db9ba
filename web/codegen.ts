import type { CodegenConfig } from '@graphql-codegen/cli';

// Types for every `graphql(...)` document in src/, generated from the server's exported SDL.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*', '!src/**/*.test.{ts,tsx}', '!src/test/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        scalars: { DateTime: 'string', NaiveDateTime: 'string', NaiveDate: 'string', NaiveTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
