global using System.Net;
global using System.Net.Http.Json;
global using MedChat.Api.Conversations;
global using MedChat.Api.Identity;
global using MedChat.Api.Messages;
global using MedChat.Tests.Infrastructure;
