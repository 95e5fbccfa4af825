using Direkt;

return await DirektServer.RunAsync(args);
