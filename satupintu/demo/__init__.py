"""The demo: a seeded registry, demo accounts, applications, documents, complaints, survey answers and
an equity history, and the commands that create them (`demo-setup`, `generate-demo`, `demo-cases`,
`demo-documents`). It sits above every other app and no app imports it, so production code never
depends on demo data; tests and benchmarks use its generators."""
