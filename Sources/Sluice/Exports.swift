// The one module a pipeline imports.
@_exported import SluiceCLI
@_exported import SluiceConnectors
@_exported import SluiceCore
@_exported import SluiceDSL
@_exported import SluiceFormats
@_exported import SluiceOperators
@_exported import enum SluiceRuntime.ThreadScheduling
