using Micro.Cli;

return await CliApp.RunAsync(args);
