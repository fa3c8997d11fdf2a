import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which references of our compiled classes to Keycloak's classes, methods and fields a given Keycloak distribution
 * cannot link. Compiling against an older minor's SPI jars finds source differences only; a method whose return
 * type changed compiles the same and still fails at run time with {@code NoSuchMethodError}. This reads the constant
 * pools of {@code target/classes} and resolves each {@code org.keycloak} reference in the distribution's own jars.
 *
 * <pre>java src/test/compat/LinkageCheck.java target/classes /path/to/keycloak-26.4.7</pre>
 *
 * References that {@code compat/} resolves at start-up by method handle never appear in a constant pool, so a
 * clean report means: everything else links on that version.
 */
public final class LinkageCheck {

    public static void main(String[] args) throws Exception {
        Path classes = Path.of(args[0]);
        List<URL> jars = new ArrayList<>();
        for (String dir : List.of("lib/lib/main", "lib/lib/boot")) {
            File[] files = Path.of(args[1]).resolve(dir).toFile().listFiles((d, n) -> n.endsWith(".jar"));
            if (files != null) {
                for (File f : files) {
                    jars.add(f.toURI().toURL());
                }
            }
        }
        ClassLoader server = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        TreeMap<String, Set<String>> missing = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String user = classes.relativize(file).toString().replace(".class", "");
                for (String[] ref : references(file)) {
                    String problem = check(server, ref);
                    if (problem != null) {
                        missing.computeIfAbsent(problem, k -> new TreeSet<>()).add(user);
                    }
                }
            }
        }
        // A provider that does not implement a method the version's SPI declares abstract fails with
        // AbstractMethodError when Keycloak calls it (as 26.5's TokenExchangeProvider.getVersion()).
        ClassLoader ours = new URLClassLoader(new URL[] {classes.toUri().toURL()}, server);
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(".class", "").replace('/', '.');
                try {
                    Class<?> type = Class.forName(name, false, ours);
                    if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
                        continue;
                    }
                    for (Method m : type.getMethods()) {
                        if (java.lang.reflect.Modifier.isAbstract(m.getModifiers())) {
                            missing.computeIfAbsent("abstract method " + m.getDeclaringClass().getName() + "." + m.getName()
                                    + " is not implemented", k -> new TreeSet<>()).add(name);
                        }
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    missing.computeIfAbsent("class " + name + " does not load: " + e, k -> new TreeSet<>()).add(name);
                }
            }
        }
        missing.forEach((problem, users) -> System.out.println(problem + "\n    used by " + users));
        System.out.println(missing.isEmpty() ? "all Keycloak references link" : missing.size() + " references do not link");
        System.exit(missing.isEmpty() ? 0 : 1);
    }

    /** {kind, owner, name, descriptor} of each class, field and method reference into org/keycloak. */
    private static List<String[]> references(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            data.readInt();
            data.readUnsignedShort();
            data.readUnsignedShort();
            int count = data.readUnsignedShort();
            Object[] pool = new Object[count];
            int[][] refs = new int[count][];
            for (int i = 1; i < count; i++) {
                int tag = data.readUnsignedByte();
                switch (tag) {
                    case 1 -> pool[i] = data.readUTF();
                    case 3, 4 -> data.readInt();
                    case 5, 6 -> {
                        data.readLong();
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> refs[i] = new int[] {tag, data.readUnsignedShort()};
                    case 9, 10, 11, 12, 17, 18 -> refs[i] = new int[] {tag, data.readUnsignedShort(), data.readUnsignedShort()};
                    case 15 -> {
                        data.readUnsignedByte();
                        data.readUnsignedShort();
                    }
                    default -> throw new IOException("constant pool tag " + tag + " in " + file);
                }
            }
            List<String[]> out = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                if (refs[i] == null) {
                    continue;
                }
                if (refs[i][0] == 7) {
                    String name = (String) pool[refs[i][1]];
                    String element = name.replaceAll("^\\[+L?", "").replaceAll(";$", "");
                    if (element.startsWith("org/keycloak/")) {
                        out.add(new String[] {"class", element, "", ""});
                    }
                } else if (refs[i][0] == 9 || refs[i][0] == 10 || refs[i][0] == 11) {
                    String owner = (String) pool[refs[refs[i][1]][1]];
                    int[] nameAndType = refs[refs[i][2]];
                    if (owner.startsWith("org/keycloak/")) {
                        out.add(new String[] {refs[i][0] == 9 ? "field" : "method", owner, (String) pool[nameAndType[1]],
                                (String) pool[nameAndType[2]]});
                    }
                }
            }
            return out;
        }
    }

    private static String check(ClassLoader server, String[] ref) {
        String owner = ref[1].replace('/', '.');
        Class<?> type;
        try {
            type = Class.forName(owner, false, server);
        } catch (ClassNotFoundException | LinkageError e) {
            return "class " + owner + " is missing";
        }
        if (ref[0].equals("class")) {
            return null;
        }
        try {
            if (ref[0].equals("field") ? hasField(type, ref[2], ref[3]) : hasMethod(type, ref[2], ref[3])) {
                return null;
            }
        } catch (LinkageError e) {
            return ref[0] + " " + owner + "." + ref[2] + ref[3] + " cannot be checked: " + e;
        }
        return ref[0] + " " + owner + "." + ref[2] + ref[3] + " is missing";
    }

    private static boolean hasField(Class<?> type, String name, String descriptor) {
        for (Class<?> c : hierarchy(type)) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && descriptor(f.getType()).equals(descriptor)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasMethod(Class<?> type, String name, String descriptor) {
        for (Class<?> c : hierarchy(type)) {
            if (name.equals("<init>")) {
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (descriptor(k.getParameterTypes(), void.class).equals(descriptor)) {
                        return true;
                    }
                }
                return false;
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && descriptor(m.getParameterTypes(), m.getReturnType()).equals(descriptor)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Class<?>> hierarchy(Class<?> type) {
        List<Class<?>> out = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(type));
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (seen.add(c)) {
                out.add(c);
                if (c.getSuperclass() != null) {
                    todo.add(c.getSuperclass());
                }
                todo.addAll(List.of(c.getInterfaces()));
            }
        }
        if (type.isInterface()) {
            out.add(Object.class);
        }
        return out;
    }

    private static String descriptor(Class<?>[] parameters, Class<?> result) {
        StringBuilder out = new StringBuilder("(");
        for (Class<?> p : parameters) {
            out.append(descriptor(p));
        }
        return out.append(')').append(descriptor(result)).toString();
    }

    private static String descriptor(Class<?> type) {
        if (type.isArray()) {
            return type.getName().replace('.', '/');
        }
        if (type.isPrimitive()) {
            return switch (type.getName()) {
                case "void" -> "V";
                case "boolean" -> "Z";
                case "byte" -> "B";
                case "char" -> "C";
                case "short" -> "S";
                case "int" -> "I";
                case "long" -> "J";
                case "float" -> "F";
                case "double" -> "D";
                default -> throw new IllegalArgumentException(type.getName());
            };
        }
        return "L" + type.getName().replace('.', '/') + ";";
    }
}
