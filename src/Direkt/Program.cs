using Direkt;

GlibcMalloc.ReturnLargeBuffers();
SqliteBeforeSystemLibvips.Load(); // a no-op unless built with -p:DirektLibvips=system
return await DirektServer.RunAsync(args);
