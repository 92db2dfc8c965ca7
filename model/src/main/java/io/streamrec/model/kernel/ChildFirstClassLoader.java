package io.streamrec.model.kernel;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;


/**
 * A class loader that resolves a few package prefixes (and all resources) from its own jars before asking its parent,
 * and every other class parent first. The GPU kernel needs JavaCPP 1.5.13 while ND4J, on the same application class path, brings JavaCPP
 * 1.5.7: loading {@code org.bytedeco.} child first gives the kernel its own JavaCPP, while the kernel interfaces
 * ({@code io.streamrec.model.kernel.}) still come from the parent so both sides agree on {@link MfKernel}.
 */
final class ChildFirstClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final List<String> childFirstPrefixes;

    ChildFirstClassLoader(String name, URL[] urls, ClassLoader parent, List<String> childFirstPrefixes) {
        super(name, urls, parent);
        this.childFirstPrefixes = List.copyOf(childFirstPrefixes);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!childFirst(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notHere) {
                    c = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        // Resources own-jars first, whatever their name: JavaCPP finds its native libraries, its platform properties and
        // its version (META-INF/maven/org.bytedeco/...) as resources, and they must match its classes. The own jars hold
        // only the gpu module and its CUDA presets, so nothing else is shadowed.
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public java.util.Enumeration<URL> getResources(String name) throws java.io.IOException {
        java.util.List<URL> all = new java.util.ArrayList<>(java.util.Collections.list(findResources(name)));
        ClassLoader parent = getParent();
        if (parent != null) {
            all.addAll(java.util.Collections.list(parent.getResources(name)));
        }
        return java.util.Collections.enumeration(all);
    }

    private boolean childFirst(String name) {
        for (String p : childFirstPrefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
