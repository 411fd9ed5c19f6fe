using System.Runtime.CompilerServices;

// ./safety's --explain shows the normalised text the rules actually see.
[assembly: InternalsVisibleTo("MedChat.Safety")]
