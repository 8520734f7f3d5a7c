"""One module per report. Each module defines an `Exporter` subclass and registers it with
`simkerma.reports.framework.register`; the app loads every module here when Django starts."""
